package org.jswtpm.swtpm;

/** The control-channel contract over loopback TCP: no descriptors can travel, so no SET_DATAFD. */
class ControlChannelTcpTest extends ControlChannelContract {
    @Override
    TestServer.Transport transport() {
        return TestServer.Transport.TCP;
    }

    @Override
    String capabilities() {
        return "000000000001ecff";
    }

    @Override
    String setDataFdWithoutDescriptor() {
        return "0000000a";
    }
}
