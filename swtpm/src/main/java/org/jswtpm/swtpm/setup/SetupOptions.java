package org.jswtpm.swtpm.setup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jswtpm.swtpm.UsageException;

/**
 * The parsed {@code swtpm_setup} command line (fact sheet §6.3), restricted to what jswtpm does: the
 * TPM 2 path, run in-process. Options swtpm_setup knows but jswtpm does not implement are refused with a
 * message that names them. Both {@code --opt value} and {@code --opt=value} are accepted.
 */
public final class SetupOptions {
    /** What the invocation asks for. */
    public enum Action { SETUP, HELP, VERSION, PRINT_CAPABILITIES, CREATE_CONFIG_FILES }

    Action action = Action.SETUP;
    boolean tpm2;
    String tpmState;
    Path pwdfile;
    int pwdfileFd = -1;
    Path keyfile;
    int keyfileFd = -1;
    String cipher;
    String vmid;
    Path logfile;
    boolean createEk;
    boolean createEkCert;
    boolean createPlatformCert;
    boolean lockNvram;
    boolean notOverwrite;
    boolean overwrite;
    String pcrBanks;
    boolean reconfigure;
    boolean decryption;
    boolean allowSigning;
    boolean ecc;
    String rsaKeySize;
    Path writeEkCertFiles;
    Set<String> createConfigFiles = Set.of();
    Path config;
    String runAs;

    /** Options with a value. */
    private static final Set<String> WITH_VALUE = Set.of("--tpm-state", "--tpmstate", "--pwdfile", "--pwdfile-fd",
            "--keyfile", "--keyfile-fd", "--cipher", "--vmid", "--logfile", "--pcr-banks", "--rsa-keysize",
            "--write-ek-cert-files", "--config", "--tcsd-system-ps-file", "--runas");

    /** swtpm_setup options jswtpm does not implement (the TPM 1.2 path, external programs, profiles). */
    private static final Set<String> UNSUPPORTED = Set.of("--tpm", "--swtpm_ioctl", "--take-ownership",
            "--ownerpass", "--owner-well-known", "--srkpass", "--srk-well-known", "--create-spk", "--display",
            "--profile", "--profile-name", "--profile-file", "--profile-file-fd", "--profile-remove-disabled",
            "--print-profiles", "--ek1keyalgo", "--ek2keyalgo", "--iakkeyalgo", "--idevidkeyalgo", "--no-iak");

    private static final Set<String> CONFIG_FILE_OPTIONS = Set.of("overwrite", "root", "skip-if-exist");

    SetupOptions() {
    }

    /** The action asked for. */
    public Action action() {
        return action;
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException for an unknown, unsupported or malformed option, or a combination
     *     swtpm_setup refuses
     */
    public static SetupOptions parse(String[] args) throws UsageException {
        SetupOptions o = new SetupOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (UNSUPPORTED.contains(name)) {
                throw new UsageException("Option " + name + " is not supported by jswtpm's swtpm_setup"
                        + " (jswtpm manufactures TPM 2 state in-process)");
            }
            if (WITH_VALUE.contains(name) && value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("Option " + name + " requires an argument");
                }
                value = args[++i];
            }
            if (name.equals("--create-config-files") && value == null && i + 1 < args.length
                    && !args[i + 1].startsWith("-")) {
                value = args[++i];
            }
            o.apply(name, value);
        }
        o.check();
        return o;
    }

    private void apply(String name, String value) throws UsageException {
        switch (name) {
            case "--tpm2" -> tpm2 = true;
            case "--tpm-state", "--tpmstate" -> tpmState = value;
            case "--pwdfile" -> pwdfile = Path.of(value);
            case "--pwdfile-fd" -> pwdfileFd = fd(name, value);
            case "--keyfile" -> keyfile = Path.of(value);
            case "--keyfile-fd" -> keyfileFd = fd(name, value);
            case "--cipher" -> cipher = value;
            case "--vmid" -> vmid = value;
            case "--logfile" -> logfile = Path.of(value);
            case "--createek" -> createEk = true;
            case "--create-ek-cert" -> { createEk = true; createEkCert = true; }
            case "--create-platform-cert" -> { createEk = true; createPlatformCert = true; }
            case "--lock-nvram" -> lockNvram = true;
            case "--not-overwrite" -> notOverwrite = true;
            case "--overwrite" -> overwrite = true;
            case "--pcr-banks" -> pcrBanks = value;
            case "--reconfigure" -> reconfigure = true;
            case "--decryption" -> decryption = true;
            case "--allow-signing" -> allowSigning = true;
            case "--ecc" -> ecc = true;
            case "--rsa-keysize" -> rsaKeySize = value;
            case "--write-ek-cert-files" -> writeEkCertFiles = Path.of(value);
            case "--config" -> config = Path.of(value);
            case "--runas" -> runAs = value;
            case "--tcsd-system-ps-file" -> { } // a no-op in swtpm_setup as well
            case "--create-config-files" -> {
                action = Action.CREATE_CONFIG_FILES;
                createConfigFiles = configFileOptions(value);
            }
            case "--print-capabilities" -> action = Action.PRINT_CAPABILITIES;
            case "--version" -> action = Action.VERSION;
            case "--help", "-h", "-?" -> action = Action.HELP;
            default -> throw new UsageException("Unknown option " + name);
        }
    }

    private static int fd(String name, String value) throws UsageException {
        try {
            int fd = Integer.parseInt(value);
            if (fd >= 0) {
                return fd;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("Invalid file descriptor for " + name + ": " + value);
    }

    private static Set<String> configFileOptions(String value) throws UsageException {
        if (value == null || value.isEmpty()) {
            return Set.of();
        }
        List<String> words = new ArrayList<>(List.of(value.split(",")));
        for (String w : words) {
            if (!CONFIG_FILE_OPTIONS.contains(w)) {
                throw new UsageException("Unsupported parameter for --create-config-files: " + w);
            }
        }
        return Set.copyOf(words);
    }

    private void check() throws UsageException {
        if (action != Action.SETUP) {
            return;
        }
        if (!tpm2) {
            throw new UsageException("TPM 1.2 is not supported by jswtpm's swtpm_setup; use --tpm2");
        }
        if (tpmState == null) {
            throw new UsageException("--tpm-state must be provided");
        }
        if (overwrite && notOverwrite) {
            throw new UsageException("--overwrite and --not-overwrite cannot be used together");
        }
        if (cipher != null && !Set.of("aes-128-cbc", "aes-cbc", "aes-256-cbc").contains(cipher)) {
            throw new UsageException("Unsupported cipher " + cipher + ".");
        }
        int keys = (pwdfile != null ? 1 : 0) + (pwdfileFd >= 0 ? 1 : 0) + (keyfile != null ? 1 : 0)
                + (keyfileFd >= 0 ? 1 : 0);
        if (keys > 1) {
            throw new UsageException("Only one of --keyfile, --keyfile-fd, --pwdfile, --pwdfile-fd may be given");
        }
        if (reconfigure && (createEk || createEkCert || createPlatformCert)) {
            throw new UsageException("Reconfiguration is not supported with creation of EK or certificates");
        }
        if (rsaKeySize != null && !Set.of("2048", "3072", "max").contains(rsaKeySize)) {
            throw new UsageException(rsaKeySize + " bit RSA keys are not supported by jswtpm.");
        }
    }

    /** The RSA EK size: 2048 unless {@code --rsa-keysize 3072} or {@code max}. */
    int rsaKeyBits() {
        return rsaKeySize == null || rsaKeySize.equals("2048") ? 2048 : 3072;
    }

    /**
     * The swtpm {@code --key} value the key options stand for ({@code file=}, {@code pwdfile=},
     * {@code fd=}, {@code pwdfd=} with {@code ,mode=<cipher>}), or null without a key.
     */
    String keyOption() {
        String source;
        if (pwdfile != null) {
            source = "pwdfile=" + pwdfile;
        } else if (pwdfileFd >= 0) {
            source = "pwdfd=" + pwdfileFd;
        } else if (keyfile != null) {
            source = "file=" + keyfile;
        } else if (keyfileFd >= 0) {
            source = "fd=" + keyfileFd;
        } else {
            return null;
        }
        return cipher == null ? source : source + ",mode=" + cipher;
    }

    /** The {@code --tpmstate} value for the state-store: a plain directory becomes {@code dir://}. */
    String tpmStateOption() {
        String uri = tpmState.startsWith("dir://") || tpmState.startsWith("file://") ? tpmState : "dir://" + tpmState;
        return "backend-uri=" + uri + ",lock";
    }
}
