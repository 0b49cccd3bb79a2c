"""The clinical rules: the reference tables and their loader, FNCLCC grade, AJCC 8 staging by site, spread,
treatment options and plans, the drug catalog, the synthetic teaching cohort and the sources. Imports only
sarcoma_edu.common."""
