package org.jswtpm.swtpm.setup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jswtpm.core.StateFormatException;
import org.jswtpm.core.StateKind;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.Tpm2;
import org.jswtpm.store.KeyLoader;
import org.jswtpm.store.KeyOption;
import org.jswtpm.store.StateKey;
import org.jswtpm.store.StateNames;
import org.jswtpm.store.StateStore;
import org.jswtpm.store.StateStores;
import org.jswtpm.store.TpmFamily;
import org.jswtpm.store.TpmStateOptions;
import org.jswtpm.swtpm.Capabilities;
import org.jswtpm.swtpm.Confinement;
import org.jswtpm.swtpm.DescriptorInput;
import org.jswtpm.swtpm.RunAs;
import org.jswtpm.swtpm.UsageException;

/**
 * jswtpm's {@code swtpm_setup}: manufactures a TPM 2 in-process — Startup, the endorsement keys of the
 * TCG EK Credential Profile made persistent, their certificates and the platform certificate from a local
 * CA written to NV (and write-locked with {@code --lock-nvram}), the PCR banks allocated, Shutdown — and
 * stores the state through the same state-store and encryption code {@code swtpm} serves it from (fact
 * sheet §6). Exit status 0 on success (also when {@code --not-overwrite} finds a state), 1 on error.
 */
public final class SwtpmSetup {
    /** Attributes of the certificate and template NV indices (fact sheet §6.2). */
    static final int CERT_NV_ATTRIBUTES = 0x40000000 | 0x40000 | 0x20000 | 0x10000 | 0x1 | 0x2000000 | 0x2000;
    static final int PLATFORM_CERT_INDEX = 0x01C08000;
    static final String DEFAULT_PCR_BANKS = "sha256";
    /** The system-wide configuration, read when the user has none. */
    static final Path SYSTEM_CONFIG = Path.of("/etc/swtpm_setup.conf");

    private final SetupOptions options;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Path systemConfig;
    private PrintStream logfile;

    private SwtpmSetup(SetupOptions options, Map<String, String> env, PrintStream out, PrintStream err,
            Path systemConfig) {
        this.options = options;
        this.env = env;
        this.out = out;
        this.err = err;
        this.systemConfig = systemConfig;
    }

    /** Entry point of the {@code swtpm_setup} launcher. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command and returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, SYSTEM_CONFIG);
    }

    /** Runs the command with {@code systemConfig} in place of {@code /etc/swtpm_setup.conf} (tests). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Path systemConfig) {
        SetupOptions options;
        try {
            options = SetupOptions.parse(args);
        } catch (UsageException e) {
            err.println("swtpm_setup: " + e.getMessage());
            err.println("Try 'swtpm_setup --help' for more information.");
            return 1;
        }
        switch (options.action()) {
            case HELP:
                out.print(SetupUsage.TEXT);
                return 0;
            case VERSION:
                out.println(SetupUsage.versionLine());
                return 0;
            case PRINT_CAPABILITIES:
                out.println(capabilitiesJson());
                return 0;
            case CREATE_CONFIG_FILES:
                return ConfigFiles.create(options.createConfigFiles, env, out, err);
            default:
                return new SwtpmSetup(options, env, out, err, systemConfig).setup();
        }
    }

    /** The feature words of {@code --print-capabilities}: only what this implementation does. */
    public static List<String> features() {
        return List.of("tpm-2.0", "cmdarg-keyfile-fd", "cmdarg-pwdfile-fd", "cmdarg-write-ek-cert-files",
                "cmdarg-create-config-files", "cmdarg-reconfigure-pcr-banks", "tpm2-rsa-keysize-2048",
                "tpm2-rsa-keysize-3072");
    }

    /** The one-line JSON of {@code --print-capabilities}, laid out as swtpm_setup's (§6.4). */
    public static String capabilitiesJson() {
        StringBuilder sb = new StringBuilder("{ \"type\": \"swtpm_setup\", \"features\": [ ");
        List<String> features = features();
        for (int i = 0; i < features.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(features.get(i)).append('"');
        }
        return sb.append(" ], \"version\": \"").append(Capabilities.VERSION).append("\" }").toString();
    }

    // ---- the setup

    private int setup() {
        try {
            openLogfile();
            if (options.runAs != null) {
                becomeUser();
            }
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
        try {
            return manufacture();
        } catch (SetupException e) {
            logerr(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            logerr("Internal error: " + e);
            return 1;
        } finally {
            if (logfile != null) {
                logfile.close();
            }
        }
    }

    private int manufacture() throws SetupException {
        if (options.writeEkCertFiles != null && !(Files.isDirectory(options.writeEkCertFiles)
                && Files.isWritable(options.writeEkCertFiles))) {
            throw new SetupException("Cannot write the EK certificate files into " + options.writeEkCertFiles + ".");
        }
        SetupConfig config = readConfig();
        String pcrBanks = options.pcrBanks;
        if (pcrBanks == null || pcrBanks.replace(",", "").isBlank()) {
            pcrBanks = config.get("active_pcr_banks") != null ? config.get("active_pcr_banks").strip()
                    : DEFAULT_PCR_BANKS;
        }
        StateKey key = loadKey();
        try (StateStore store = openStore(key)) {
            // like swtpm_setup's look through --print-states: decided before the lock is taken
            if (!options.reconfigure && exists(store)) {
                if (options.notOverwrite) {
                    logit("Not overwriting existing state file.");
                    return 0;
                }
                if (!options.overwrite) {
                    throw new SetupException("Found existing TPM state '" + StateNames.PERMALL + "'.");
                }
            }
            lock(store);
            if (!options.reconfigure) {
                deleteAll(store);
            }
            logit("Starting vTPM " + (options.reconfigure ? "reconfiguration" : "manufacturing") + " as "
                    + userAndGroup() + " @ " + now());
            Tpm tpm = buildEngine(store);
            try {
                author(tpm, config, pcrBanks);
                storeState(store, tpm);
            } catch (SetupException e) {
                logerr(e.getMessage());
                logerr("An error occurred. Authoring the TPM state failed.");
                if (!options.reconfigure) {
                    deleteAll(store); // nothing was stored yet; leave no partial state behind
                }
                return 1;
            }
            logit("Successfully authored TPM state.");
            logit("Ending vTPM " + (options.reconfigure ? "reconfiguration" : "manufacturing") + " @ " + now());
            return 0;
        } catch (IOException e) {
            throw new SetupException("TPM state " + options.tpmState + ": " + e.getMessage(), e);
        } finally {
            if (key != null) {
                key.destroy();
            }
        }
    }

    private void author(Tpm tpm, SetupConfig config, String pcrBanks) throws SetupException {
        SetupTpm client = new SetupTpm(tpm);
        client.startupClear();
        if (!options.reconfigure && options.createEk) {
            createEksAndCerts(client, config);
        }
        activatePcrBanks(client, pcrBanks);
        client.shutdownClear();
    }

    /** Like swtpm_setup 0.7: an RSA EK (2048 or 3072 bits) and an ECC NIST P-384 EK; the platform certificate with the first. */
    private void createEksAndCerts(SetupTpm client, SetupConfig config) throws SetupException {
        LocalCa ca = null;
        if (options.createEkCert || options.createPlatformCert) {
            ca = openCa(config);
        }
        createEkAndCerts(client, EkTemplates.rsa(options.rsaKeyBits()), ca, config, options.createPlatformCert);
        createEkAndCerts(client, EkTemplates.ECC_NIST_P384, ca, config, false);
    }

    private void createEkAndCerts(SetupTpm client, EkTemplates ek, LocalCa ca, SetupConfig config,
            boolean platformCert) throws SetupException {
        byte[] template = ek.template(options.allowSigning, options.decryption);
        SetupTpm.Primary primary = client.createPrimary(SetupTpm.RH_ENDORSEMENT, template, ek.isEcc() ? "ECC" : "RSA");
        client.evictControl(primary.handle(), ek.persistentHandle());
        client.flushContext(primary.handle());
        logit("Successfully created " + ek.keyType() + " EK with handle 0x" + Integer.toHexString(ek.persistentHandle())
                + ".");
        if (options.allowSigning) {
            writeNvram(client, ek.templateIndex(), template, ek.keyType() + " EK template");
        }
        if (ca == null) {
            return;
        }
        PublicKey ekKey = EkPublicKey.of(primary.publicArea());
        try {
            if (options.createEkCert) {
                X509Certificate cert = ca.issueEkCertificate(ekKey, vmidForCert(), tpmIdentity(client),
                        options.allowSigning, options.decryption);
                writeNvram(client, ek.certIndex(), cert.getEncoded(), ek.keyType() + " EK certificate");
                writeCertFile(cert, "ek-" + ek.description() + ".crt");
            }
            if (platformCert) {
                X509Certificate cert = ca.issuePlatformCertificate(ekKey, vmidForCert(), platformIdentity(config));
                writeNvram(client, PLATFORM_CERT_INDEX, cert.getEncoded(), "platform certificate");
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new SetupException("Could not create the certificate: " + e.getMessage(), e);
        }
    }

    private void writeNvram(SetupTpm client, int index, byte[] data, String purpose) throws SetupException {
        String where = "NVRAM area 0x" + Integer.toHexString(index);
        try {
            client.nvDefineSpace(index, CERT_NV_ATTRIBUTES, data.length);
            client.nvWrite(index, data);
            if (options.lockNvram) {
                client.nvWriteLock(index);
            }
        } catch (SetupException e) {
            throw new SetupException("Could not create " + where + " for " + purpose + ": " + e.getMessage(), e);
        }
        logit("Successfully created " + where + " for " + purpose + ".");
    }

    private void activatePcrBanks(SetupTpm client, String pcrBanks) throws SetupException {
        if (pcrBanks.strip().equals("-")) {
            return;
        }
        List<String> all = client.allPcrBanks();
        List<String> chosen = new ArrayList<>();
        for (String bank : pcrBanks.split(",")) {
            String b = bank.strip();
            if (all.contains(b) && !chosen.contains(b)) {
                chosen.add(b);
            }
        }
        if (chosen.isEmpty()) {
            throw new SetupException("No PCR banks could be allocated. None of the selected algorithms are supported.");
        }
        client.pcrAllocate(chosen, all);
        logit("Successfully activated PCR banks " + String.join(",", chosen) + " among " + String.join(",", all) + ".");
    }

    // ---- identities for the certificates

    private String vmidForCert() {
        return options.vmid == null ? null : options.vmid.replace('+', '_').replace(',', '_');
    }

    private static LocalCa.TpmIdentity tpmIdentity(SetupTpm client) throws SetupException {
        int manufacturer = client.property(0x105);
        StringBuilder model = new StringBuilder();
        for (int pt = 0x106; pt <= 0x109; pt++) {
            int v = client.property(pt);
            for (int shift = 24; shift >= 0; shift -= 8) {
                int c = (v >>> shift) & 0xFF;
                if (c != 0) {
                    model.append((char) c);
                }
            }
        }
        int firmware = client.property(0x10B);
        int level = client.property(0x101);
        int revision = client.property(0x102);
        return new LocalCa.TpmIdentity(String.format("id:%08X", manufacturer), model.toString(),
                String.format("id:%08X", firmware), "2.0", level, revision);
    }

    /** The platform from {@code create_certs_tool_options} ({@code --platform-manufacturer} etc.). */
    private LocalCa.PlatformIdentity platformIdentity(SetupConfig config) throws IOException {
        String manufacturer = "jswtpm";
        String model = "jswtpm";
        String version = Capabilities.VERSION;
        String optionsFile = config.get("create_certs_tool_options");
        if (optionsFile != null && Files.isReadable(Path.of(optionsFile))) {
            String[] words = Files.readString(Path.of(optionsFile)).strip().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                switch (words[i]) {
                    case "--platform-manufacturer" -> manufacturer = words[++i];
                    case "--platform-model" -> model = words[++i];
                    case "--platform-version" -> version = words[++i];
                    default -> { }
                }
            }
        }
        return new LocalCa.PlatformIdentity(manufacturer, model, version);
    }

    // ---- configuration, CA, keys, store

    private SetupConfig readConfig() throws SetupException {
        for (Path candidate : SetupConfig.candidates(options.config, env, systemConfig)) {
            if (Files.exists(candidate)) {
                try {
                    return SetupConfig.read(candidate, env);
                } catch (IOException e) {
                    throw new SetupException("Cannot read config file " + candidate + ": " + e.getMessage(), e);
                }
            }
        }
        if (options.config != null) {
            throw new SetupException("User " + System.getProperty("user.name") + " cannot read config file "
                    + options.config + ".");
        }
        return SetupConfig.empty();
    }

    /**
     * The CA's directory: the {@code statedir} of the {@code create_certs_tool_config} the config file
     * names, else {@code $XDG_CONFIG_HOME/jswtpm/localca} or {@code ~/.config/jswtpm/localca}. A system
     * CA directory (from {@code /etc/swtpm_setup.conf}) that this user cannot use falls back to the user's.
     */
    private LocalCa openCa(SetupConfig config) throws SetupException {
        String caConfig = config.get("create_certs_tool_config");
        boolean isSystemConfig = systemConfig.equals(config.file());
        if (caConfig != null) {
            Path statedir = null;
            try {
                SetupConfig ca = SetupConfig.read(Path.of(caConfig), env);
                statedir = ca.get("statedir") == null ? null : Path.of(ca.get("statedir"));
                if (statedir != null) {
                    return LocalCa.open(statedir, path(ca, "signingkey"), path(ca, "issuercert"),
                            path(ca, "certserial"));
                }
            } catch (IOException | GeneralSecurityException e) {
                if (!isSystemConfig) {
                    throw new SetupException("Could not open the local CA in " + statedir + ": " + e.getMessage(), e);
                }
                logit("Cannot use the local CA in " + statedir + " (" + e.getMessage() + "); using the user's.");
            }
        }
        Path statedir = ConfigFiles.configHome(env).resolve("jswtpm").resolve("localca");
        try {
            return LocalCa.open(statedir, null, null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new SetupException("Could not open the local CA in " + statedir + ": " + e.getMessage(), e);
        }
    }

    private static Path path(SetupConfig config, String key) {
        return config.get(key) == null ? null : Path.of(config.get(key));
    }

    private StateKey loadKey() throws SetupException {
        String keyOption = options.keyOption();
        if (keyOption == null) {
            return null;
        }
        try {
            return KeyLoader.load(KeyOption.parse("--key", keyOption), DescriptorInput::open);
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupException("Could not read the state key: " + e.getMessage(), e);
        }
    }

    private StateStore openStore(StateKey key) throws SetupException {
        try {
            TpmStateOptions tpmstate = TpmStateOptions.parse(options.tpmStateOption());
            if (tpmstate.backend() == TpmStateOptions.Backend.DIRECTORY && !Files.isDirectory(tpmstate.path())) {
                throw new SetupException("Directory " + tpmstate.path() + " does not exist.");
            }
            return StateStores.openWithEnvelope(tpmstate, TpmFamily.TPM2, key);
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupException("Cannot open the TPM state " + options.tpmState + ": " + e.getMessage(), e);
        }
    }

    private static void lock(StateStore store) throws SetupException {
        try {
            store.lock(0);
        } catch (IOException e) {
            throw new SetupException("Could not lock the TPM state: " + e.getMessage(), e);
        }
    }

    private static boolean exists(StateStore store) throws SetupException {
        try {
            return store.exists(StateNames.PERMALL);
        } catch (IOException e) {
            throw new SetupException("Could not look at the TPM state: " + e.getMessage(), e);
        }
    }

    private static void deleteAll(StateStore store) throws SetupException {
        try {
            for (String name : StateNames.ALL) {
                store.delete(name);
            }
        } catch (IOException e) {
            throw new SetupException("Could not delete the TPM state: " + e.getMessage(), e);
        }
    }

    /** A new TPM, or with {@code --reconfigure} the stored one. */
    private Tpm buildEngine(StateStore store) throws SetupException {
        Tpm2.Builder builder = Tpm2.builder();
        if (options.reconfigure) {
            try {
                byte[] permanent = store.load(StateNames.PERMALL);
                if (permanent != null) {
                    builder.state(StateKind.PERMANENT, permanent);
                }
            } catch (IOException e) {
                throw new SetupException("Could not load the TPM state: " + e.getMessage(), e);
            }
        }
        try {
            return builder.build();
        } catch (StateFormatException e) {
            throw new SetupException("The TPM state cannot be read: " + e.getMessage(), e);
        }
    }

    /** The permanent state after Shutdown(CLEAR), stored as swtpm stores it; no save-state remains. */
    private static void storeState(StateStore store, Tpm tpm) throws SetupException {
        try {
            store.store(StateNames.PERMALL, tpm.getState(StateKind.PERMANENT));
            byte[] saveState = tpm.getState(StateKind.SAVE_STATE);
            if (saveState == null || saveState.length == 0) {
                store.delete(StateNames.SAVESTATE);
            } else {
                store.store(StateNames.SAVESTATE, saveState);
            }
        } catch (IOException e) {
            throw new SetupException("Could not store the TPM state: " + e.getMessage(), e);
        }
    }

    // ---- files and log

    private void writeCertFile(X509Certificate cert, String name) throws IOException, GeneralSecurityException {
        if (options.writeEkCertFiles == null) {
            return;
        }
        Path file = options.writeEkCertFiles.resolve(name);
        Files.write(file, cert.getEncoded());
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /**
     * {@code --runas}: the process switches users before it touches any state. The log file was opened by
     * the calling user and stays open (swtpm_setup reopens it per message as the new user, which fails for
     * a file only the caller may write); the class path is opened beforehand, since the new user may not
     * be allowed to read it.
     */
    private void becomeUser() throws IOException {
        Confinement.openClassPath();
        RunAs.switchTo(options.runAs);
    }

    private void openLogfile() throws IOException {
        if (options.logfile == null) {
            return;
        }
        if (Files.isSymbolicLink(options.logfile)) {
            throw new IOException("Logfile must not be a symlink.");
        }
        try {
            logfile = new PrintStream(Files.newOutputStream(options.logfile, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("Cannot write to logfile " + options.logfile + ".", e);
        }
    }

    private void logit(String message) {
        (logfile != null ? logfile : out).println(message);
    }

    private void logerr(String message) {
        (logfile != null ? logfile : err).println(message);
    }

    /**
     * {@code user:group} as swtpm_setup logs it ("as tss:tss" when libvirt runs it): the effective user
     * and group, those that own {@code /proc/self} (also after {@code --runas}, which the JVM's
     * {@code user.name} does not follow); the JVM's user name alone if that is unknown.
     */
    static String userAndGroup() {
        try {
            Path self = Path.of("/proc/self");
            UserPrincipal user = Files.getOwner(self);
            GroupPrincipal group = (GroupPrincipal) Files.getAttribute(self, "posix:group");
            return user.getName() + ":" + group.getName();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return System.getProperty("user.name");
        }
    }

    private static String now() {
        return ZonedDateTime.now().format(DateTimeFormatter.ofPattern("EEE dd MMM yyyy hh:mm:ss a z", Locale.ROOT));
    }
}
