"""postcheck: check social media posts against a school social media policy."""
