package org.jswtpm.core.differential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * How the engine's response to a corpus case is compared with swtpm's.
 *
 * <ul>
 *   <li>{@code rc}: the response codes are equal;</li>
 *   <li>{@code exact}: the responses are byte for byte equal;</li>
 *   <li>{@code skip-fields=FROM..TO[,FROM..TO]}: equal length, and equal bytes outside the given
 *       half-open byte ranges of the response (random bytes, proof-keyed tickets, clock values);</li>
 *   <li>{@code rc-known-diff}: a disagreement already understood and reported (the corpus comment says
 *       what differs and why): passes while the responses differ, in the response code or elsewhere. Once
 *       they agree, the case fails so that it is promoted to {@code exact}.</li>
 * </ul>
 */
record Comparison(Mode mode, List<int[]> skipped) {

    enum Mode { RC, EXACT, SKIP_FIELDS, RC_KNOWN_DIFF }

    static Comparison parse(String text) {
        if (text.equals("rc")) {
            return new Comparison(Mode.RC, List.of());
        }
        if (text.equals("exact")) {
            return new Comparison(Mode.EXACT, List.of());
        }
        if (text.equals("rc-known-diff")) {
            return new Comparison(Mode.RC_KNOWN_DIFF, List.of());
        }
        if (text.startsWith("skip-fields=")) {
            List<int[]> ranges = new ArrayList<>();
            for (String range : text.substring("skip-fields=".length()).split(",")) {
                String[] ends = range.strip().split("\\.\\.");
                if (ends.length != 2) {
                    throw new IllegalArgumentException("bad range, expected FROM..TO: " + range);
                }
                int from = Integer.parseInt(ends[0]);
                int to = Integer.parseInt(ends[1]);
                if (from < 10 || to <= from) {
                    throw new IllegalArgumentException("bad range (the 10-byte header is never skipped): " + range);
                }
                ranges.add(new int[] {from, to});
            }
            return new Comparison(Mode.SKIP_FIELDS, List.copyOf(ranges));
        }
        throw new IllegalArgumentException("unknown comparison mode: " + text);
    }

    /** Null if {@code ours} agrees with {@code theirs} under this comparison, else why not. */
    String disagreement(byte[] ours, byte[] theirs) {
        if (mode == Mode.RC_KNOWN_DIFF) {
            return Arrays.equals(ours, theirs) ? "the known difference is gone: make this case exact" : null;
        }
        int rcOurs = rc(ours);
        int rcTheirs = rc(theirs);
        if (rcOurs != rcTheirs) {
            return String.format("response code: jswtpm 0x%03X, swtpm 0x%03X", rcOurs, rcTheirs);
        }
        switch (mode) {
            case RC:
                return null;
            case EXACT:
                return Arrays.equals(ours, theirs) ? null : "responses differ";
            case SKIP_FIELDS:
                if (ours.length != theirs.length) {
                    return "response lengths differ: " + ours.length + " vs " + theirs.length;
                }
                for (int i = 0; i < ours.length; i++) {
                    if (!isSkipped(i) && ours[i] != theirs[i]) {
                        return "byte " + i + " differs (outside the skipped fields)";
                    }
                }
                return null;
            default:
                throw new AssertionError(mode);
        }
    }

    private boolean isSkipped(int offset) {
        for (int[] r : skipped) {
            if (offset >= r[0] && offset < r[1]) {
                return true;
            }
        }
        return false;
    }

    /** The response code, or -1 for a response shorter than a header. */
    static int rc(byte[] response) {
        if (response.length < 10) {
            return -1;
        }
        return ((response[6] & 0xFF) << 24) | ((response[7] & 0xFF) << 16) | ((response[8] & 0xFF) << 8)
                | (response[9] & 0xFF);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        if (mode != Mode.SKIP_FIELDS) {
            return mode.name().toLowerCase().replace('_', '-');
        }
        StringBuilder s = new StringBuilder("skip-fields=");
        for (int[] r : skipped) {
            s.append(s.charAt(s.length() - 1) == '=' ? "" : ",").append(r[0]).append("..").append(r[1]);
        }
        return s.toString();
    }
}
