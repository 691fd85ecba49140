package apache.rocketmq.v2;

/** Stand-in for the proto's answer: its status, OK. */
public class SendMessageResponse {
    private static final Status OK = new Status();

    public Status getStatus() {
        return OK;
    }
}
