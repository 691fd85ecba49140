package apache.rocketmq.v2;

/** Stand-in for the proto's Status. */
public class Status {
    public Code getCode() {
        return Code.OK;
    }
}
