package apache.rocketmq.v2;

/** Stand-in for the proto's Code. */
public enum Code {
    OK
}
