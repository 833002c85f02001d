package org.jswtpm.core.types;

/**
 * TPM 2.0 command codes (TCG TPM 2.0 Part 2, 6.5.2 TPM_CC), named as the specification names them so
 * that a grep for a command finds its code, its handler and its tests.
 */
public enum TpmCc {
    NV_UndefineSpaceSpecial(0x11f),
    EvictControl(0x120),
    HierarchyControl(0x121),
    NV_UndefineSpace(0x122),
    ChangeEPS(0x124),
    ChangePPS(0x125),
    Clear(0x126),
    ClearControl(0x127),
    ClockSet(0x128),
    HierarchyChangeAuth(0x129),
    NV_DefineSpace(0x12a),
    PCR_Allocate(0x12b),
    PCR_SetAuthPolicy(0x12c),
    PP_Commands(0x12d),
    SetPrimaryPolicy(0x12e),
    FieldUpgradeStart(0x12f),
    ClockRateAdjust(0x130),
    CreatePrimary(0x131),
    NV_GlobalWriteLock(0x132),
    GetCommandAuditDigest(0x133),
    NV_Increment(0x134),
    NV_SetBits(0x135),
    NV_Extend(0x136),
    NV_Write(0x137),
    NV_WriteLock(0x138),
    DictionaryAttackLockReset(0x139),
    DictionaryAttackParameters(0x13a),
    NV_ChangeAuth(0x13b),
    PCR_Event(0x13c),
    PCR_Reset(0x13d),
    SequenceComplete(0x13e),
    SetAlgorithmSet(0x13f),
    SetCommandCodeAuditStatus(0x140),
    FieldUpgradeData(0x141),
    IncrementalSelfTest(0x142),
    SelfTest(0x143),
    Startup(0x144),
    Shutdown(0x145),
    StirRandom(0x146),
    ActivateCredential(0x147),
    Certify(0x148),
    PolicyNV(0x149),
    CertifyCreation(0x14a),
    Duplicate(0x14b),
    GetTime(0x14c),
    GetSessionAuditDigest(0x14d),
    NV_Read(0x14e),
    NV_ReadLock(0x14f),
    ObjectChangeAuth(0x150),
    PolicySecret(0x151),
    Rewrap(0x152),
    Create(0x153),
    ECDH_ZGen(0x154),
    HMAC(0x155),
    Import(0x156),
    Load(0x157),
    Quote(0x158),
    RSA_Decrypt(0x159),
    HMAC_Start(0x15b),
    SequenceUpdate(0x15c),
    Sign(0x15d),
    Unseal(0x15e),
    PolicySigned(0x160),
    ContextLoad(0x161),
    ContextSave(0x162),
    ECDH_KeyGen(0x163),
    EncryptDecrypt(0x164),
    FlushContext(0x165),
    LoadExternal(0x167),
    MakeCredential(0x168),
    NV_ReadPublic(0x169),
    PolicyAuthorize(0x16a),
    PolicyAuthValue(0x16b),
    PolicyCommandCode(0x16c),
    PolicyCounterTimer(0x16d),
    PolicyCpHash(0x16e),
    PolicyLocality(0x16f),
    PolicyNameHash(0x170),
    PolicyOR(0x171),
    PolicyTicket(0x172),
    ReadPublic(0x173),
    RSA_Encrypt(0x174),
    StartAuthSession(0x176),
    VerifySignature(0x177),
    ECC_Parameters(0x178),
    FirmwareRead(0x179),
    GetCapability(0x17a),
    GetRandom(0x17b),
    GetTestResult(0x17c),
    Hash(0x17d),
    PCR_Read(0x17e),
    PolicyPCR(0x17f),
    PolicyRestart(0x180),
    ReadClock(0x181),
    PCR_Extend(0x182),
    PCR_SetAuthValue(0x183),
    NV_Certify(0x184),
    EventSequenceComplete(0x185),
    HashSequenceStart(0x186),
    PolicyPhysicalPresence(0x187),
    PolicyDuplicationSelect(0x188),
    PolicyGetDigest(0x189),
    TestParms(0x18a),
    Commit(0x18b),
    PolicyPassword(0x18c),
    ZGen_2Phase(0x18d),
    EC_Ephemeral(0x18e),
    PolicyNvWritten(0x18f),
    PolicyTemplate(0x190),
    CreateLoaded(0x191),
    PolicyAuthorizeNV(0x192),
    EncryptDecrypt2(0x193),
    AC_GetCapability(0x194),
    AC_Send(0x195),
    Policy_AC_SendSelect(0x196),
    CertifyX509(0x197),
    ACT_SetTimeout(0x198),
    Vendor_TCG_Test(0x20000000);

    public static final int FIRST = 0x11F;
    public static final int LAST = 0x198;

    private static final TpmCc[] BY_CODE = new TpmCc[LAST - FIRST + 1];

    static {
        for (TpmCc cc : values()) {
            if (cc.code >= FIRST && cc.code <= LAST) {
                BY_CODE[cc.code - FIRST] = cc;
            }
        }
    }

    private final int code;

    TpmCc(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The command with this code, or null if the code names no TPM 2.0 library command. */
    public static TpmCc of(int code) {
        if (code >= FIRST && code <= LAST) {
            return BY_CODE[code - FIRST];
        }
        return code == Vendor_TCG_Test.code ? Vendor_TCG_Test : null;
    }
}
