"""The supervisor's cockpit (驾驶舱, AI-2)."""
