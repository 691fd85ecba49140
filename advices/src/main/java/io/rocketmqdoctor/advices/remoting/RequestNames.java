package io.rocketmqdoctor.advices.remoting;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Request code to its RequestCode constant name (105 is GET_ROUTEINFO_BY_TOPIC), read by reflection
 * the first time a code is seen. RequestCode lives in common.protocol in 4.x and remoting.protocol in 5.x.
 */
final class RequestNames {
    private static final String[] CLASSES = {
        "org.apache.rocketmq.remoting.protocol.RequestCode",
        "org.apache.rocketmq.common.protocol.RequestCode",
    };
    private static volatile Map<Integer, String> names;

    private RequestNames() {}

    static String of(int code, ClassLoader loader) {
        Map<Integer, String> m = names;
        if (m == null) m = load(loader);
        String n = m.get(code);
        return n != null ? n : String.valueOf(code);
    }

    private static synchronized Map<Integer, String> load(ClassLoader loader) {
        if (names != null) return names;
        Map<Integer, String> m = new HashMap<Integer, String>();
        for (String c : CLASSES) {
            try {
                for (Field f : Class.forName(c, false, loader).getFields()) {
                    if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) m.put(f.getInt(null), f.getName());
                }
                break;
            } catch (Throwable ignored) {
                // not this release's RequestCode: try the other
            }
        }
        names = m;
        return m;
    }
}
