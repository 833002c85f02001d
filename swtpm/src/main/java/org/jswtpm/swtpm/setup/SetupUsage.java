package org.jswtpm.swtpm.setup;

import org.jswtpm.swtpm.Capabilities;

/** The text of {@code swtpm_setup --help} and {@code --version}. */
final class SetupUsage {
    private SetupUsage() {
    }

    static String versionLine() {
        return "TPM emulator setup tool version " + Capabilities.VERSION + " (jswtpm)";
    }

    static final String TEXT = versionLine() + "\n"
            + "Usage: swtpm_setup [options]\n"
            + "\n"
            + "Manufactures the state of a TPM 2 in-process and stores it where swtpm serves it from.\n"
            + "\n"
            + "  --tpm2                  : Set up a TPM 2 (required; jswtpm has no TPM 1.2 setup)\n"
            + "  --tpm-state <dir>|<uri> : The state location: a directory, dir://<dir> or file://<file>\n"
            + "  --tpmstate ...          : The same as --tpm-state\n"
            + "  --createek              : Create the EKs (RSA and ECC NIST P-384) and make them persistent\n"
            + "  --create-ek-cert        : Create the EK certificates and store them in NV (implies --createek)\n"
            + "  --create-platform-cert  : Create the platform certificate and store it in NV (implies --createek)\n"
            + "  --allow-signing         : The EKs may sign; their templates are written to NV\n"
            + "  --decryption            : With --allow-signing, the EKs may also decrypt\n"
            + "  --ecc                   : Accepted; the ECC NIST P-384 EK is always created\n"
            + "  --rsa-keysize 2048|3072|max : The size of the RSA EK (default 2048)\n"
            + "  --lock-nvram            : Write-lock the NV indices written\n"
            + "  --pcr-banks <list>|-    : The PCR banks to activate (default: active_pcr_banks of the\n"
            + "                            config file, else sha256); '-' leaves them as they are\n"
            + "  --reconfigure           : Only re-allocate the PCR banks of an existing state\n"
            + "  --overwrite             : Replace an existing state\n"
            + "  --not-overwrite         : Leave an existing state alone and exit successfully\n"
            + "  --keyfile <file>        : Encrypt the state with the key in the file\n"
            + "  --keyfile-fd <fd>       : Encrypt the state with the key read from the descriptor\n"
            + "  --pwdfile <file>        : Encrypt the state with a key derived from the passphrase in the file\n"
            + "  --pwdfile-fd <fd>       : Encrypt the state with a key derived from the passphrase on the descriptor\n"
            + "  --cipher <cipher>       : aes-128-cbc (default), aes-cbc or aes-256-cbc\n"
            + "  --vmid <id>             : The VM's id, used in the certificates' subject\n"
            + "  --logfile <file>        : Append the log to the file\n"
            + "  --runas <user>          : Run as this user (a name or a decimal uid; needs root)\n"
            + "  --write-ek-cert-files <dir> : Also write the EK certificates into the directory\n"
            + "  --config <file>         : The swtpm_setup.conf to read (active_pcr_banks,\n"
            + "                            create_certs_tool_config whose statedir holds the local CA)\n"
            + "  --create-config-files [overwrite][,root][,skip-if-exist]\n"
            + "                          : Create swtpm_setup.conf, swtpm-localca.conf and\n"
            + "                            swtpm-localca.options in $XDG_CONFIG_HOME or ~/.config\n"
            + "  --print-capabilities    : Print the supported features as JSON\n"
            + "  --version               : Print the version\n"
            + "  --help, -h              : Print this text\n";
}
