package org.villagehomepage.payments.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service under test at the throwaway test key pair. */
public class JwtKeysResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey.location", TestKeys.publicKeyFile().toString(),
                "mp.jwt.verify.issuer", TestKeys.ISSUER,
                "smallrye.jwt.sign.key.location", TestKeys.privateKeyFile().toString());
    }

    @Override
    public void stop() {
    }
}
