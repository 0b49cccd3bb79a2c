"""Write datasets/teaching_cohort.csv: the synthetic cohort for the fixed seed (not real patients).

Usage: ``python scripts/make_teaching_cohort.py`` (or ``make cohort``).
"""

from __future__ import annotations

from pathlib import Path

from sarcoma_edu.clinical.cohort import COHORT_N, COHORT_SEED, generate

TARGET = Path(__file__).resolve().parent.parent / "datasets" / "teaching_cohort.csv"


def main() -> None:
    """Generate the cohort and write it with lower-case booleans, as the other tables."""
    frame = generate(COHORT_N, COHORT_SEED)
    for flag in ("nodes", "metastasis"):
        frame[flag] = frame[flag].map({True: "true", False: "false"})
    frame.to_csv(TARGET, index=False)
    print(f"wrote {len(frame)} synthetic patients to {TARGET.name}")


if __name__ == "__main__":
    main()
