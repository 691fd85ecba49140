package io.rocketmqdoctor.advices.brokeraddress;

import net.bytebuddy.asm.Advice;

/** Woven on the name server's registrations, the client's requests (their connect failures) and its VIP address. */
public final class BrokerAddressAdvice {
    private BrokerAddressAdvice() {}

    /** RouteInfoManager.registerBroker up to 4.9.x: the channel is the eighth argument. */
    public static final class Registered4 {
        private Registered4() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String cluster, @Advice.Argument(1) String addr, @Advice.Argument(2) String name,
                         @Advice.Argument(3) long id, @Advice.Argument(7) Object channel) throws Exception {
            AdvertisedAddresses.registered(cluster, addr, name, id, channel);
        }
    }

    /** RouteInfoManager.registerBroker in 5.x: the channel is the eleventh argument. */
    public static final class Registered5 {
        private Registered5() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String cluster, @Advice.Argument(1) String addr, @Advice.Argument(2) String name,
                         @Advice.Argument(3) long id, @Advice.Argument(10) Object channel) throws Exception {
            AdvertisedAddresses.registered(cluster, addr, name, id, channel);
        }
    }

    /** NettyRemotingClient's invokeSync, invokeOneway, invokeAsync: only a throw is looked at. */
    public static final class Failed {
        private Failed() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown, @Advice.Argument(0) String addr, @Advice.This Object client) throws Exception {
            if (thrown != null) UnreachableBrokers.failed(thrown, addr, client);
        }
    }

    /** MixAll.brokerVIPChannel(isChange, brokerAddr): with the fix, a broker whose VIP port is closed keeps its main port. */
    public static final class Vip {
        private Vip() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) String brokerAddr, @Advice.Return(readOnly = false) String vip) {
            if (UnreachableBrokers.anyVipClosed && UnreachableBrokers.vipClosed(brokerAddr)) vip = brokerAddr;
        }
    }
}
