package io.github.lancesink;

import io.github.lancesink.spi.LanceTable;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;

/**
 * A table port for builder tests in core, which has no Lance adapter on its test classpath: it
 * answers {@code displayUri}, {@code toString} and the capability getters, and fails on anything
 * that would touch a table. {@code capabilities} names the capability getters that return a
 * (likewise stubbed) capability, e.g. {@code "maintenance"}.
 */
public final class PortStub {
  private PortStub() {}

  public static LanceTable table(String... capabilities) {
    Set<String> offered = Set.of(capabilities);
    return (LanceTable) Proxy.newProxyInstance(LanceTable.class.getClassLoader(),
        new Class<?>[] {LanceTable.class}, (proxy, method, args) -> switch (method.getName()) {
          case "displayUri" -> "stub://table";
          case "toString" -> "PortStub";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "close" -> null;
          default -> {
            if (method.getReturnType() == Optional.class) {
              yield offered.contains(method.getName())
                  ? Optional.of(stub(method.getGenericReturnType())) : Optional.empty();
            }
            throw new UnsupportedOperationException("PortStub." + method.getName());
          }
        });
  }

  private static Object stub(java.lang.reflect.Type optionalOf) {
    Class<?> type = (Class<?>) ((java.lang.reflect.ParameterizedType) optionalOf)
        .getActualTypeArguments()[0];
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          throw new UnsupportedOperationException("PortStub " + type.getSimpleName() + "."
              + method.getName());
        });
  }
}
