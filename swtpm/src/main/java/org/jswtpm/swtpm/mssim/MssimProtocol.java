package org.jswtpm.swtpm.mssim;

/** The codes of the simulator's TCP protocol ({@code TpmTcpProtocol.h}). */
final class MssimProtocol {
    static final int SIGNAL_POWER_ON = 1;
    static final int SIGNAL_POWER_OFF = 2;
    static final int SIGNAL_PHYS_PRES_ON = 3;
    static final int SIGNAL_PHYS_PRES_OFF = 4;
    static final int SIGNAL_HASH_START = 5;
    static final int SIGNAL_HASH_DATA = 6;
    static final int SIGNAL_HASH_END = 7;
    static final int SEND_COMMAND = 8;
    static final int SIGNAL_CANCEL_ON = 9;
    static final int SIGNAL_CANCEL_OFF = 10;
    static final int SIGNAL_NV_ON = 11;
    static final int SIGNAL_NV_OFF = 12;
    static final int SIGNAL_KEY_CACHE_ON = 13;
    static final int SIGNAL_KEY_CACHE_OFF = 14;
    static final int REMOTE_HANDSHAKE = 15;
    static final int SET_ALTERNATIVE_RESULT = 16;
    static final int SIGNAL_RESET = 17;
    static final int SIGNAL_RESTART = 18;
    static final int SESSION_END = 20;
    static final int STOP = 21;
    static final int GET_COMMAND_RESPONSE_SIZES = 25;

    /** The server version REMOTE_HANDSHAKE reports. */
    static final int SERVER_VERSION = 1;
    /** tpmPlatformAvailable | tpmInRawMode (no physical-presence support is claimed). */
    static final int ENDPOINT_FLAGS = 0x01 | 0x04;
    /** The largest HASH_DATA block accepted (the simulator's MAX_BUFFER). */
    static final int MAX_HASH_DATA = 1 << 20;
    /** What an unknown platform code is answered with before the connection is closed. */
    static final int UNKNOWN_PLATFORM_CODE = 1;

    private MssimProtocol() {
    }
}
