import logging

from fupin.core.masking import MaskingLogFilter, mask_account, mask_id_number, mask_phone, mask_text


def test_it_masks_id_numbers_phones_and_accounts_as_users_expect():
    assert mask_id_number("620102198001011234") == "6201**********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_account("6228480018888888888") == "***************8888"
    assert mask_id_number("") == mask_phone(None) == ""


def test_it_masks_numbers_inside_free_text():
    text = "户主身份证 62010219800101123X,电话 13812341234,编号 632524203207"
    masked = mask_text(text)
    assert "62010219800101123X" not in masked and "6201**********123X" in masked
    assert "138****1234" in masked
    assert "632524203207" in masked  # a division code is not personal data


def test_it_keeps_personal_numbers_out_of_log_lines(caplog):
    """Every log line passes the masking filter configured in settings."""
    logger = logging.getLogger("fupin.test")
    logger.addFilter(MaskingLogFilter())
    with caplog.at_level(logging.WARNING, logger="fupin.test"):
        logger.warning("import failed for %s", "620102198001011234")
    assert "620102198001011234" not in caplog.text
    assert "6201**********1234" in caplog.text
