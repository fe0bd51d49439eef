package dev.junction.server.audit;

import dev.junction.store.audit.AuditRecord;
import java.util.List;
import java.util.Map;

/** Audit records as RFC 4180 CSV, with a header row; cells that could start a formula are quoted with a leading '. */
final class AuditCsv {
    private AuditCsv() {}

    static String of(List<AuditRecord> records) {
        StringBuilder csv = new StringBuilder(String.join(",", AuditController.COLUMNS)).append("\r\n");
        for (AuditRecord r : records) {
            Map<String, Object> row = AuditController.view(r);
            boolean first = true;
            for (String column : AuditController.COLUMNS) {
                if (!first) {
                    csv.append(',');
                }
                first = false;
                csv.append(cell(row.get(column)));
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s; // spreadsheet formula injection
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
