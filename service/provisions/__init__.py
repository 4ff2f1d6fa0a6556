"""HTTP surface of the provision log (verstrekkingenlog) for the wijkagent and the privacy officer."""
