package io.github.lancesink;

/**
 * Bad configuration or a schema that does not match the table. Raised before anything is
 * written. Fix the configuration and restart; retrying the same call cannot succeed.
 *
 * @since 0.1.0
 */
public class ConfigurationException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message, null);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
