package org.apache.rocketmq.client.java.route;

/** Stand-in for rocketmq-client-java's Endpoints: its facade is its text, as in every release. */
public class Endpoints {
    private final String facade;

    public Endpoints(String facade) {
        this.facade = facade;
    }

    @Override
    public String toString() {
        return facade;
    }
}
