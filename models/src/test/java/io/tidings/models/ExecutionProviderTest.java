package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The execution provider: CUDA when asked for (or by default) and this ONNX Runtime build has it,
 * the CPU otherwise, and a setting that names neither refused. The CUDA branch itself runs only
 * with the onnxruntime_gpu artifact on a machine with a GPU, which the tests never have; the
 * fallback is run for real here, with the project's CPU-only build.
 */
class ExecutionProviderTest {
    private static final Set<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
    private static final Set<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);

    @Test
    void cudaWhenAskedOrByDefaultAndPresentTheCpuOtherwise() {
        assertThat(InferenceSession.useCuda("auto", WITH_CUDA)).isTrue();
        assertThat(InferenceSession.useCuda("cuda", WITH_CUDA)).isTrue();
        assertThat(InferenceSession.useCuda("cpu", WITH_CUDA)).isFalse();
        assertThat(InferenceSession.useCuda("auto", CPU_ONLY)).isFalse();
        assertThat(InferenceSession.useCuda("cuda", CPU_ONLY)).as("falls back to the CPU").isFalse();
        assertThatThrownBy(() -> InferenceSession.useCuda("gpu", WITH_CUDA)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TIDINGS_EXECUTION_PROVIDER").hasMessageContaining("auto, cuda or cpu").hasMessageContaining("'gpu'");
    }

    @Test
    void aModelAskedToRunOnCudaRunsOnTheCpuWhereThisBuildHasNoCuda() throws Exception {
        assumeTrue(FixtureModels.bundledModelPresent(), "bundled model not built yet");
        assertThat(OrtEnvironment.getAvailableProviders()).as("the project's onnxruntime artifact is the CPU build")
                .doesNotContain(OrtProvider.CUDA);
        String before = System.getProperty(InferenceSession.PROVIDER_PROPERTY);
        System.setProperty(InferenceSession.PROVIDER_PROPERTY, "cuda");
        try (TweetModel model = TweetModel.load(FixtureModels.bundledLocation(), 1, 8)) {
            assertThat(model.executionProvider()).isEqualTo("CPU");
            assertThat(model.predict(List.of("I love this")).get(0).sentiment()).isNotNull();
        } finally {
            if (before == null) {
                System.clearProperty(InferenceSession.PROVIDER_PROPERTY);
            } else {
                System.setProperty(InferenceSession.PROVIDER_PROPERTY, before);
            }
        }
    }
}
