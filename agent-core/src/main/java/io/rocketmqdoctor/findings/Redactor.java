package io.rocketmqdoctor.findings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps RocketMQ ACL credentials out of everything the agent writes. A request's extFields carry
 * AccessKey, Signature and (5.x) SecurityToken; a RemotingCommand's toString prints them all.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?i)\\b(access[_-]?key|secret[_-]?key|signature|security[_-]?token|session[_-]?token|password)(\"?\\s*[=:]\\s*\"?)([^,;}&\\s\"]+)");

    private Redactor() {}

    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
        return k.equals("accesskey") || k.equals("secretkey") || k.equals("signature") || k.equals("securitytoken")
                || k.equals("sessiontoken") || k.equals("password") || k.endsWith("secretkey");
    }

    public static String text(String s) {
        return s == null ? null : IN_TEXT.matcher(s).replaceAll("$1$2" + MASK);
    }

    /** A copy of {@code value} with every secret field masked, maps and lists included. */
    public static Object value(String key, Object value) {
        if (key != null && isSecretKey(key)) return MASK;
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<String, Object>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, value(k, e.getValue()));
            }
            return out;
        }
        if (value instanceof Collection) {
            List<Object> out = new ArrayList<Object>();
            for (Object o : (Collection<?>) value) out.add(value(null, o));
            return out;
        }
        if (value instanceof CharSequence || value instanceof Character) return text(value.toString());
        if (value == null || value instanceof Number || value instanceof Boolean) return value;
        return text(String.valueOf(value));
    }
}
