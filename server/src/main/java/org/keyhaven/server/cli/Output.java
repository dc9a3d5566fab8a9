package org.keyhaven.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Prints API answers for people. */
public final class Output {
  private Output() {}

  public static void json(JsonNode node) {
    try {
      System.out.println(ApiClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print answer");
    }
  }
}
