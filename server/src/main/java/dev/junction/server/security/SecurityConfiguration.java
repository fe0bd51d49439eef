package dev.junction.server.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link PermissionInterceptor} in front of every API handler. */
@Configuration
class SecurityConfiguration implements WebMvcConfigurer {
    private final PermissionInterceptor permissions;

    SecurityConfiguration(PermissionInterceptor permissions) {
        this.permissions = permissions;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(permissions).addPathPatterns("/api/**");
    }
}
