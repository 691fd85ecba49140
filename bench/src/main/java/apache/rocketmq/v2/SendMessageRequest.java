package apache.rocketmq.v2;

/** Stand-in for the proto's request. */
public class SendMessageRequest {
}
