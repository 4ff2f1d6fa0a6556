"""HTTP surface of the meeting check (deelnemerstoets) for the coordinator."""
