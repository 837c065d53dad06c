"""Reference data shipped with casekit (rates published by the ECB and the French Treasury)."""
