package org.jswtpm.swtpm;

/** The data-channel contract over loopback TCP. */
class DataChannelTcpTest extends DataChannelContract {
    @Override
    TestServer.Transport transport() {
        return TestServer.Transport.TCP;
    }

    @Override
    String capabilities() {
        return "000000000001ecff";
    }
}
