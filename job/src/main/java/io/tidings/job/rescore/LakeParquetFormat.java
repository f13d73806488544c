package io.tidings.job.rescore;

import java.io.IOException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * The lake's {@code posts} Parquet files as {@link GenericRecord}s of {@link LakePosts#READ}, for a
 * Flink {@code FileSource}. Not flink-parquet's {@code AvroParquetReaders}: that one reads with
 * each file's own schema (files of older lakes lack columns, and the records would not match the
 * type Flink serializes them with) and builds a Hadoop HDFS configuration, which needs HDFS's
 * jars. Here every file is read into the one read schema (a column a file lacks takes its
 * default) with a plain Parquet configuration. A file is one split; a restored reader starts again
 * at the file's start and the file source skips the records it had emitted (its checkpointed count).
 */
public final class LakeParquetFormat implements StreamFormat<GenericRecord> {
    private static final long serialVersionUID = 1L;
    private static final String AVRO_READ_SCHEMA = "parquet.avro.read.schema";

    @Override
    public Reader<GenericRecord> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        // AvroReadSupport.setAvroReadSchema takes a Hadoop Configuration only; this is its key.
        conf.set(AVRO_READ_SCHEMA, LakePosts.READ.toString());
        ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new ParquetInputFile(stream, fileLen), conf)
                .withDataModel(GenericData.get())
                .build();
        return new Reader<>() {
            @Override
            public GenericRecord read() throws IOException {
                return reader.read();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public Reader<GenericRecord> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen,
            long splitEnd) throws IOException {
        // No offsets within a Parquet file: the file source skips the records counted since its start.
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<GenericRecord> getProducedType() {
        return new GenericRecordAvroTypeInfo(LakePosts.READ);
    }
}
