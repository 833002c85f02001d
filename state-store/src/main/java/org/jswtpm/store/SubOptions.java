package org.jswtpm.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * swtpm's sub-option syntax ({@code --opt a=b,c,...}): comma-separated tokens, {@code name=value}
 * or a bare {@code name} meaning {@code true}; a value in braces may contain commas. Booleans are
 * true only for {@code true} or {@code 1} (any case); {@code mode=} is octal and at most 0777.
 */
public final class SubOptions {
  private final String option;
  private final Map<String, String> values;

  private SubOptions(String option, Map<String, String> values) {
    this.option = option;
    this.values = values;
  }

  /**
   * Parses {@code text} for option {@code option} (used in messages, e.g. {@code --tpmstate}).
   *
   * @throws IllegalArgumentException for a name not in {@code allowed} or an unbalanced brace
   */
  public static SubOptions parse(String option, String text, Set<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    int i = 0;
    while (i <= text.length()) {
      int end = tokenEnd(option, text, i);
      String token = text.substring(i, end);
      if (!token.isEmpty()) {
        int eq = token.indexOf('=');
        String name = eq < 0 ? token : token.substring(0, eq);
        String value = eq < 0 ? "true" : token.substring(eq + 1);
        if (!allowed.contains(name)) {
          throw new IllegalArgumentException(option + ": unknown parameter '" + name + "'; known: " + allowed);
        }
        values.put(name, value);
      }
      i = end + 1;
    }
    return new SubOptions(option, values);
  }

  private static int tokenEnd(String option, String text, int from) {
    int depth = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException(option + ": unbalanced braces");
    }
    return text.length();
  }

  /** The value of {@code name}, or {@code null}. */
  public String get(String name) {
    return values.get(name);
  }

  /** Whether {@code name} was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** A boolean: {@code true}/{@code 1} are true, any other given value is false. */
  public boolean getBool(String name, boolean dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    return v.equalsIgnoreCase("true") || v.equals("1");
  }

  /** A decimal non-negative integer. */
  public int getInt(String name, int dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": " + name + "=" + v + " is not a non-negative number");
    }
  }

  /** An octal file mode, at most 0777. */
  public int getMode(String name, int dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int m = Integer.parseInt(v, 8);
      if (m < 0 || m > 0777) {
        throw new NumberFormatException();
      }
      return m;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": " + name + "=" + v + " is not an octal mode of at most 0777");
    }
  }
}
