// Which roles may call the operations the console offers: the page shows a control only to the roles its operation
// allows. This mirrors the role matrix of the service (api/Operation, by operationId); ConsoleRolesTest holds the two
// together.
export const ROLES = {
  createAdjustment: ['OWNER', 'MANAGER'],
  createCount: ['OWNER', 'MANAGER'],
  placeOrder: ['OWNER', 'MANAGER', 'STAFF'],
  createReceipt: ['OWNER', 'MANAGER', 'STAFF'],
  listPurchaseOrders: ['OWNER', 'MANAGER', 'STAFF'],
};

export const may = (role, operationId) => (ROLES[operationId] || []).includes(role);
