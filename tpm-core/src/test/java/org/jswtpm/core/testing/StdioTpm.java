package org.jswtpm.core.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.HexFormat;
import org.jswtpm.core.Tpm;

/**
 * A started deterministic TPM on standard input and output, one command per line in hex and one
 * response per line in hex: lets differential scripts send the same bytes to jswtpm and to swtpm.
 */
public final class StdioTpm {
    private StdioTpm() {
    }

    public static void main(String[] args) throws Exception {
        Tpm tpm = TestTpm.started();
        HexFormat hex = HexFormat.of();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null;) {
            System.out.println(hex.formatHex(tpm.execute(hex.parseHex(line.trim()))));
            System.out.flush();
        }
    }
}
