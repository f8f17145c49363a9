package org.villagehomepage.payments.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvExportTest {

    @Test
    void formulaLookingCellsArePrefixedAndSpecialCharactersQuoted() {
        assertThat(CsvExport.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvExport.cell("+1")).isEqualTo("'+1");
        assertThat(CsvExport.cell("-2")).isEqualTo("'-2");
        assertThat(CsvExport.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvExport.cell("\tx")).isEqualTo("'\tx");
        assertThat(CsvExport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvExport.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(CsvExport.cell("plain")).isEqualTo("plain");
        assertThat(CsvExport.cell(null)).isEmpty();
    }

    @Test
    void formatParameterWinsOverAccept() {
        assertThat(AuditQueryResource.wantsCsv("csv", "application/json")).isTrue();
        assertThat(AuditQueryResource.wantsCsv("json", "text/csv")).isFalse();
        assertThat(AuditQueryResource.wantsCsv(null, "text/csv")).isTrue();
        assertThat(AuditQueryResource.wantsCsv(null, null)).isFalse();
    }
}
