package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SQL others build beside the views must say what the views say. */
class LakeSqlTest {
    @Test
    void theLiveViewsKeepTheNewestVersionByTheSameCondition() {
        assertThat(LakeSql.view("posts").sql()).contains(LakeSql.newestVersion("p"));
        assertThat(LakeSql.view("entities").sql()).contains(LakeSql.newestVersion("e"));
    }
}
