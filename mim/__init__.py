"""MIM Registratie: registration and reporting for Moeders Informeren Moeders."""
