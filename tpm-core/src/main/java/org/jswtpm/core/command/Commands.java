package org.jswtpm.core.command;

import static org.jswtpm.core.engine.AuthRole.ADMIN;
import static org.jswtpm.core.engine.AuthRole.DUP;
import static org.jswtpm.core.engine.AuthRole.NONE;
import static org.jswtpm.core.engine.AuthRole.USER;
import static org.jswtpm.core.engine.CommandSpec.DECRYPT;
import static org.jswtpm.core.engine.CommandSpec.ENCRYPT;
import static org.jswtpm.core.engine.CommandSpec.EXTENSIVE;
import static org.jswtpm.core.engine.CommandSpec.FLUSHED;
import static org.jswtpm.core.engine.CommandSpec.NO_SESSIONS;
import static org.jswtpm.core.engine.CommandSpec.NV;
import static org.jswtpm.core.engine.CommandSpec.R_HANDLE;
import static org.jswtpm.core.engine.CommandTable.row;
import static org.jswtpm.core.engine.HandleKind.CLEAR;
import static org.jswtpm.core.engine.HandleKind.CONTEXT;
import static org.jswtpm.core.engine.HandleKind.ENDORSEMENT;
import static org.jswtpm.core.engine.HandleKind.ENTITY_OR_NULL;
import static org.jswtpm.core.engine.HandleKind.HMAC_SESSION;
import static org.jswtpm.core.engine.HandleKind.HIERARCHY;
import static org.jswtpm.core.engine.HandleKind.HIERARCHY_AUTH;
import static org.jswtpm.core.engine.HandleKind.HIERARCHY_NO_NULL;
import static org.jswtpm.core.engine.HandleKind.HIERARCHY_POLICY;
import static org.jswtpm.core.engine.HandleKind.LOCKOUT;
import static org.jswtpm.core.engine.HandleKind.NV_AUTH;
import static org.jswtpm.core.engine.HandleKind.NV_INDEX;
import static org.jswtpm.core.engine.HandleKind.OBJECT;
import static org.jswtpm.core.engine.HandleKind.OBJECT_OR_NULL;
import static org.jswtpm.core.engine.HandleKind.PARENT;
import static org.jswtpm.core.engine.HandleKind.PCR;
import static org.jswtpm.core.engine.HandleKind.PCR_OR_NULL;
import static org.jswtpm.core.engine.HandleKind.PLATFORM;
import static org.jswtpm.core.engine.HandleKind.POLICY_SESSION;
import static org.jswtpm.core.engine.HandleKind.PROVISION;

import java.util.List;
import org.jswtpm.core.engine.CommandTable;
import org.jswtpm.core.types.TpmCc;

/**
 * The TPM 2.0 command table: one row per implemented command with its handles, their authorization
 * roles and its attributes (TCG TPM 2.0 Part 3, each command's "Command" table; TPMA_CC bits as Part
 * 2, 8.9 and the reference implementation's command attribute table give them).
 */
public final class Commands {
    private Commands() {
    }

    /** The table of every implemented TPM 2.0 command. */
    public static CommandTable table() {
        return new CommandTable(List.of(
            row(TpmCc.Startup, new StartupCommands.Startup()).flags(NV, NO_SESSIONS).build(),
            row(TpmCc.Shutdown, new StartupCommands.Shutdown()).flags(NV).build(),
            row(TpmCc.SelfTest, new TestingCommands.SelfTest()).flags(NV).build(),
            row(TpmCc.IncrementalSelfTest, new TestingCommands.IncrementalSelfTest()).flags(NV).build(),
            row(TpmCc.GetTestResult, new TestingCommands.GetTestResult()).flags(ENCRYPT).build(),
            row(TpmCc.GetRandom, new RandomCommands.GetRandom()).flags(ENCRYPT).build(),
            row(TpmCc.StirRandom, new RandomCommands.StirRandom()).flags(NV, DECRYPT).build(),
            row(TpmCc.GetCapability, new CapabilityCommands.GetCapability()).build(),
            row(TpmCc.TestParms, new CapabilityCommands.TestParms()).build(),
            row(TpmCc.PCR_Read, new PcrCommands.PcrRead()).build(),
            row(TpmCc.PCR_Extend, new PcrCommands.PcrExtend()).handle(PCR_OR_NULL, USER).flags(NV).build(),
            row(TpmCc.PCR_Event, new PcrCommands.PcrEvent()).handle(PCR_OR_NULL, USER).flags(NV, DECRYPT).build(),
            row(TpmCc.PCR_Reset, new PcrCommands.PcrReset()).handle(PCR, USER).flags(NV).build(),
            row(TpmCc.PCR_Allocate, new PcrCommands.PcrAllocate()).handle(PLATFORM, USER).flags(NV).build(),
            row(TpmCc.PCR_SetAuthPolicy, new PcrCommands.PcrSetAuthPolicy()).handle(PLATFORM, USER)
                .flags(NV, DECRYPT).build(),
            row(TpmCc.PCR_SetAuthValue, new PcrCommands.PcrSetAuthValue()).handle(PCR, USER).flags(DECRYPT).build(),
            row(TpmCc.PP_Commands, new ManagementCommands.PpCommands()).handle(PLATFORM, USER).flags(NV).build(),
            row(TpmCc.SetAlgorithmSet, new ManagementCommands.SetAlgorithmSet()).handle(PLATFORM, USER)
                .flags(NV).build(),
            row(TpmCc.Hash, new HashCommands.Hash()).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.HashSequenceStart, new HashCommands.HashSequenceStart()).flags(DECRYPT, R_HANDLE).build(),
            row(TpmCc.SequenceUpdate, new HashCommands.SequenceUpdate()).handle(OBJECT, USER).flags(DECRYPT).build(),
            row(TpmCc.SequenceComplete, new HashCommands.SequenceComplete()).handle(OBJECT, USER)
                .flags(FLUSHED, DECRYPT, ENCRYPT).build(),
            row(TpmCc.EventSequenceComplete, new HashCommands.EventSequenceComplete())
                .handle(PCR_OR_NULL, USER).handle(OBJECT, USER).flags(NV, FLUSHED, DECRYPT).build(),
            row(TpmCc.ReadClock, new ClockCommands.ReadClock()).build(),
            row(TpmCc.ClockSet, new ClockCommands.ClockSet()).handle(PROVISION, USER).flags(NV).build(),
            row(TpmCc.ClockRateAdjust, new ClockCommands.ClockRateAdjust()).handle(PROVISION, USER).build(),
            row(TpmCc.FlushContext, new ContextCommands.FlushContext()).flags(NO_SESSIONS).build(),
            row(TpmCc.HierarchyControl, new HierarchyCommands.HierarchyControl()).handle(HIERARCHY_NO_NULL, USER)
                .flags(NV, EXTENSIVE).build(),
            row(TpmCc.SetPrimaryPolicy, new HierarchyCommands.SetPrimaryPolicy()).handle(HIERARCHY_POLICY, USER)
                .flags(NV, DECRYPT).build(),
            row(TpmCc.ChangePPS, new HierarchyCommands.ChangePps()).handle(PLATFORM, USER).flags(NV, EXTENSIVE).build(),
            row(TpmCc.ChangeEPS, new HierarchyCommands.ChangeEps()).handle(PLATFORM, USER).flags(NV, EXTENSIVE).build(),
            row(TpmCc.Clear, new HierarchyCommands.Clear()).handle(CLEAR, USER).flags(NV, EXTENSIVE).build(),
            row(TpmCc.ClearControl, new HierarchyCommands.ClearControl()).handle(CLEAR, USER).flags(NV).build(),
            row(TpmCc.HierarchyChangeAuth, new HierarchyCommands.HierarchyChangeAuth()).handle(HIERARCHY_AUTH, USER)
                .flags(NV, DECRYPT).build(),
            row(TpmCc.DictionaryAttackLockReset, new DictionaryAttackCommands.DictionaryAttackLockReset())
                .handle(LOCKOUT, USER).flags(NV).build(),
            row(TpmCc.DictionaryAttackParameters, new DictionaryAttackCommands.DictionaryAttackParameters())
                .handle(LOCKOUT, USER).flags(NV).build(),
            // objects and keys (Part 3, 12, 24.1, 28)
            row(TpmCc.CreatePrimary, new PrimaryCommands.CreatePrimary()).handle(HIERARCHY, USER)
                .flags(DECRYPT, ENCRYPT, R_HANDLE).build(),
            row(TpmCc.Create, new ObjectCommands.Create()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Load, new ObjectCommands.Load()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT, R_HANDLE).build(),
            row(TpmCc.LoadExternal, new ObjectCommands.LoadExternal()).flags(DECRYPT, ENCRYPT, R_HANDLE).build(),
            row(TpmCc.ReadPublic, new ObjectCommands.ReadPublic()).handle(OBJECT, NONE).flags(ENCRYPT).build(),
            row(TpmCc.Unseal, new ObjectCommands.Unseal()).handle(OBJECT, USER).flags(ENCRYPT).build(),
            row(TpmCc.ObjectChangeAuth, new ObjectCommands.ObjectChangeAuth()).handle(OBJECT, ADMIN)
                .handle(OBJECT, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.CreateLoaded, new ObjectCommands.CreateLoaded()).handle(PARENT, USER)
                .flags(DECRYPT, ENCRYPT, R_HANDLE).build(),
            row(TpmCc.MakeCredential, new CredentialCommands.MakeCredential()).handle(OBJECT, NONE)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.ActivateCredential, new CredentialCommands.ActivateCredential()).handle(OBJECT, ADMIN)
                .handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Duplicate, new DuplicationCommands.Duplicate()).handle(OBJECT, DUP)
                .handle(OBJECT_OR_NULL, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Rewrap, new DuplicationCommands.Rewrap()).handle(OBJECT_OR_NULL, USER)
                .handle(OBJECT_OR_NULL, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Import, new DuplicationCommands.Import()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Commit, new EccExtraCommands.Commit()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.EC_Ephemeral, new EccExtraCommands.EcEphemeral()).flags(ENCRYPT).build(),
            row(TpmCc.ZGen_2Phase, new EccExtraCommands.ZGen2Phase()).handle(OBJECT, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.EvictControl, new ObjectContextCommands.EvictControl()).handle(PROVISION, USER)
                .handle(OBJECT, NONE).flags(NV).build(),
            row(TpmCc.ContextSave, new ObjectContextCommands.ContextSave()).handle(CONTEXT, NONE).build(),
            row(TpmCc.ContextLoad, new ObjectContextCommands.ContextLoad()).flags(R_HANDLE).build(),
            row(TpmCc.StartAuthSession, new SessionCommands.StartAuthSession())
                .handle(OBJECT_OR_NULL, NONE).handle(ENTITY_OR_NULL, NONE).flags(DECRYPT, ENCRYPT, R_HANDLE).build(),
            row(TpmCc.PolicyAuthValue, new PolicyCommands.PolicyAuthValue()).handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.PolicyCommandCode, new PolicyCommands.PolicyCommandCode()).handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.PolicyPCR, new PolicyCommands.PolicyPcr()).handle(POLICY_SESSION, NONE).flags(DECRYPT).build(),
            row(TpmCc.PolicyRestart, new PolicyCommands.PolicyRestart()).handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.PolicyGetDigest, new PolicyCommands.PolicyGetDigest()).handle(POLICY_SESSION, NONE)
                .flags(ENCRYPT).build(),
            row(TpmCc.PolicyPassword, new PolicyCommands.PolicyPassword()).handle(POLICY_SESSION, NONE).build(),
            // the rest of Part 3, 23
            row(TpmCc.PolicySigned, new PolicyAuthCommands.PolicySigned()).handle(OBJECT, NONE)
                .handle(POLICY_SESSION, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.PolicySecret, new PolicyAuthCommands.PolicySecret()).handle(ENTITY_OR_NULL, USER)
                .handle(POLICY_SESSION, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.PolicyTicket, new PolicyAuthCommands.PolicyTicket()).handle(POLICY_SESSION, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.PolicyAuthorize, new PolicyAuthCommands.PolicyAuthorize()).handle(POLICY_SESSION, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.PolicyOR, new PolicyAssertionCommands.PolicyOr()).handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.PolicyLocality, new PolicyAssertionCommands.PolicyLocality()).handle(POLICY_SESSION, NONE)
                .build(),
            row(TpmCc.PolicyNV, new PolicyOperandCommands.PolicyNv()).handle(NV_AUTH, USER).handle(NV_INDEX, NONE)
                .handle(POLICY_SESSION, NONE).flags(DECRYPT).build(),
            row(TpmCc.PolicyCounterTimer, new PolicyOperandCommands.PolicyCounterTimer())
                .handle(POLICY_SESSION, NONE).flags(DECRYPT).build(),
            row(TpmCc.PolicyPhysicalPresence, new PolicyAssertionCommands.PolicyPhysicalPresence())
                .handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.PolicyCpHash, new PolicyAssertionCommands.PolicyCpHash()).handle(POLICY_SESSION, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.PolicyNameHash, new PolicyAssertionCommands.PolicyNameHash()).handle(POLICY_SESSION, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.PolicyDuplicationSelect, new PolicyAssertionCommands.PolicyDuplicationSelect())
                .handle(POLICY_SESSION, NONE).flags(DECRYPT).build(),
            row(TpmCc.PolicyNvWritten, new PolicyAssertionCommands.PolicyNvWritten()).handle(POLICY_SESSION, NONE)
                .build(),
            row(TpmCc.PolicyTemplate, new PolicyAssertionCommands.PolicyTemplate()).handle(POLICY_SESSION, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.PolicyAuthorizeNV, new PolicyAssertionCommands.PolicyAuthorizeNv()).handle(NV_AUTH, USER)
                .handle(NV_INDEX, NONE).handle(POLICY_SESSION, NONE).build(),
            row(TpmCc.NV_DefineSpace, new NvCommands.DefineSpace()).handle(PROVISION, USER).flags(NV, DECRYPT).build(),
            row(TpmCc.NV_UndefineSpace, new NvCommands.UndefineSpace())
                .handle(PROVISION, USER).handle(NV_INDEX, NONE).flags(NV).build(),
            row(TpmCc.NV_UndefineSpaceSpecial, new NvCommands.UndefineSpaceSpecial())
                .handle(NV_INDEX, ADMIN).handle(PLATFORM, USER).flags(NV).build(),
            row(TpmCc.NV_ReadPublic, new NvCommands.ReadPublic()).handle(NV_INDEX, NONE).flags(ENCRYPT).build(),
            row(TpmCc.NV_Write, new NvDataCommands.Write())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV, DECRYPT).build(),
            row(TpmCc.NV_Increment, new NvDataCommands.Increment())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV).build(),
            row(TpmCc.NV_Extend, new NvDataCommands.Extend())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV, DECRYPT).build(),
            row(TpmCc.NV_SetBits, new NvDataCommands.SetBits())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV).build(),
            row(TpmCc.NV_WriteLock, new NvDataCommands.WriteLock())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV).build(),
            row(TpmCc.NV_GlobalWriteLock, new NvCommands.GlobalWriteLock()).handle(PROVISION, USER).flags(NV).build(),
            row(TpmCc.NV_Read, new NvDataCommands.Read())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(ENCRYPT).build(),
            row(TpmCc.NV_ReadLock, new NvDataCommands.ReadLock())
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(NV).build(),
            row(TpmCc.NV_ChangeAuth, new NvCommands.ChangeAuth()).handle(NV_INDEX, ADMIN).flags(NV, DECRYPT).build(),
            // algorithms: signing, asymmetric and symmetric primitives (Part 3, 14, 15, 20)
            row(TpmCc.Sign, new SigningCommands.Sign()).handle(OBJECT, USER).flags(DECRYPT).build(),
            row(TpmCc.VerifySignature, new SigningCommands.VerifySignature()).handle(OBJECT, NONE)
                .flags(DECRYPT).build(),
            row(TpmCc.RSA_Encrypt, new AsymmetricCommands.RsaEncrypt()).handle(OBJECT, NONE)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.RSA_Decrypt, new AsymmetricCommands.RsaDecrypt()).handle(OBJECT, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.ECDH_KeyGen, new AsymmetricCommands.EcdhKeyGen()).handle(OBJECT, NONE).flags(ENCRYPT).build(),
            row(TpmCc.ECDH_ZGen, new AsymmetricCommands.EcdhZGen()).handle(OBJECT, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.ECC_Parameters, new AsymmetricCommands.EccParameters()).build(),
            row(TpmCc.EncryptDecrypt, new SymmetricCommands.EncryptDecrypt()).handle(OBJECT, USER)
                .flags(ENCRYPT).build(),
            row(TpmCc.EncryptDecrypt2, new SymmetricCommands.EncryptDecrypt2()).handle(OBJECT, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.HMAC, new SymmetricCommands.HmacCommand()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.HMAC_Start, new SymmetricCommands.HmacStart()).handle(OBJECT, USER)
                .flags(DECRYPT, R_HANDLE).build(),
            // attestation (Part 3, 18)
            row(TpmCc.Certify, new AttestationCommands.Certify()).handle(OBJECT, ADMIN).handle(OBJECT_OR_NULL, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.CertifyCreation, new AttestationCommands.CertifyCreation()).handle(OBJECT_OR_NULL, USER)
                .handle(OBJECT, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.Quote, new AttestationCommands.Quote()).handle(OBJECT, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.GetSessionAuditDigest, new AttestationCommands.GetSessionAuditDigest())
                .handle(ENDORSEMENT, USER).handle(OBJECT_OR_NULL, USER).handle(HMAC_SESSION, NONE)
                .flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.GetTime, new AttestationCommands.GetTime()).handle(ENDORSEMENT, USER)
                .handle(OBJECT_OR_NULL, USER).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.NV_Certify, new AttestationCommands.NvCertify()).handle(OBJECT_OR_NULL, USER)
                .handle(NV_AUTH, USER).handle(NV_INDEX, NONE).flags(DECRYPT, ENCRYPT).build(),
            row(TpmCc.GetCommandAuditDigest, new AttestationCommands.GetCommandAuditDigest())
                .handle(ENDORSEMENT, USER).handle(OBJECT_OR_NULL, USER).flags(NV, DECRYPT, ENCRYPT).build(),
            row(TpmCc.CertifyX509, new X509Commands.CertifyX509()).handle(OBJECT, ADMIN).handle(OBJECT, USER)
                .flags(DECRYPT, ENCRYPT).build(),
            // command audit (Part 3, 21)
            row(TpmCc.SetCommandCodeAuditStatus, new AuditCommands.SetCommandCodeAuditStatus())
                .handle(PROVISION, USER).flags(NV).build()
        ));
    }
}
