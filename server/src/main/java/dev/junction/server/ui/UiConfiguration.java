package dev.junction.server.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The web UI's template engine. Templates live in {@code src/main/jte} and are compiled to classes
 * by the jte Maven plugin at build time, so the packaged jar needs neither the template files nor a
 * compiler at run time, and a template error fails the build rather than a page.
 */
@Configuration
class UiConfiguration {
    static final String TEMPLATES_PACKAGE = "dev.junction.server.ui.templates";

    @Bean
    TemplateEngine uiTemplates() {
        return TemplateEngine.createPrecompiled(
                null, ContentType.Html, UiConfiguration.class.getClassLoader(), TEMPLATES_PACKAGE);
    }
}
