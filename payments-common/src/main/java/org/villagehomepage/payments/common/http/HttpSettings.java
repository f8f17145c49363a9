package org.villagehomepage.payments.common.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "payments.http")
public interface HttpSettings {

    /** Requests with a larger declared body get 413 before anything reads them. */
    @WithDefault("262144")
    long maxBodyBytes();
}
