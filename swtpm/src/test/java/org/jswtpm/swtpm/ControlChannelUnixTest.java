package org.jswtpm.swtpm;

/**
 * The control-channel contract over Unix sockets: SET_DATAFD is offered (bit 0x1000); since this server
 * also has a data socket ({@code --server type=unixio}), SET_DATAFD answers TPM_IOERROR, as swtpm does
 * whenever it has a data channel already ({@link SetDataFdTest} covers the QEMU case without one).
 */
class ControlChannelUnixTest extends ControlChannelContract {
    @Override
    TestServer.Transport transport() {
        return TestServer.Transport.UNIX;
    }

    @Override
    String capabilities() {
        return "000000000001fcff";
    }

    @Override
    String setDataFdWithoutDescriptor() {
        return "0000001f";
    }
}
