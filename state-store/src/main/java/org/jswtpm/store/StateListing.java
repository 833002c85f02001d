package org.jswtpm.store;

import java.io.IOException;
import java.util.Map;

/** The JSON {@code swtpm --print-states} prints for a store. */
public final class StateListing {
  private StateListing() {}

  /**
   * {@code {"type":"swtpm","states":[{"name":"permall","size":N},...]}}, listing only the blobs
   * that exist, with their sizes in the store; byte for byte what swtpm 0.7.1 prints.
   */
  public static String toJson(StateStore store) throws IOException {
    Map<String, Long> sizes = store.sizes();
    if (sizes.isEmpty()) {
      return "{ \"type\": \"swtpm\", \"states\": [] }";
    }
    StringBuilder sb = new StringBuilder("{ \"type\": \"swtpm\", \"states\": [");
    String sep = " ";
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      sb.append(sep).append("{\"name\": \"").append(e.getKey()).append("\", \"size\": ").append(e.getValue()).append('}');
      sep = ", ";
    }
    return sb.append(" ] }").toString();
  }
}
