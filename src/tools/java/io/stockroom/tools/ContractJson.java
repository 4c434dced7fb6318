package io.stockroom.tools;

import io.stockroom.platform.contract.OpenApiDocument;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step ({@code process-classes}): writes the contract as JSON onto the class path, so that a start need not parse
 * YAML. Arguments: the YAML file, the JSON file to write.
 */
public final class ContractJson {
  private ContractJson() {
  }

  public static void main(String[] args) throws Exception {
    String yaml = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    Files.writeString(Path.of(args[1]), OpenApiDocument.compile(yaml).encode(), StandardCharsets.UTF_8);
  }
}
