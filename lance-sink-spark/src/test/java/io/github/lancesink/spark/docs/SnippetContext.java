package io.github.lancesink.spark.docs;

import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the docs' statement snippets take as given: a Spark session, a table URI, a batch id and
 * its Arrow reader, a logger and the credentials a reader would load from a secret store. Each
 * snippet is compiled as a method of a subclass, so these names resolve; nothing is run.
 */
public abstract class SnippetContext {
  protected SparkSession spark;
  protected String uri;
  protected long batchId;
  protected ArrowReader arrowReader;
  protected final Logger log = LoggerFactory.getLogger(getClass());
  protected String accessKey;
  protected String secretKey;
  protected String sessionToken;
  protected String accountKey;
}
