"""Operations of a Simpul instance: backup/restore, the worker and its schedule, periodic jobs, translations."""
