"""Work left for after the response: run once the page has been sent, and one failure stops nothing else."""

from core import after_response


def test_work_in_a_request_waits_for_the_response_to_be_sent(db):
    done = []
    after_response.request_opened()
    after_response.after_response(lambda: done.append("sent"))
    assert done == []
    after_response.run_waiting()
    assert done == ["sent"]
    after_response.after_response(lambda: done.append("at once"))
    assert done == ["sent", "at once"], "outside a request, at once"


def test_one_failure_does_not_stop_the_rest(db, caplog):
    done = []
    after_response.request_opened()
    after_response.after_response(lambda: 1 / 0)
    after_response.after_response(lambda: done.append("sent"))
    after_response.run_waiting()
    assert done == ["sent"]
    assert "Work left for after the response failed" in caplog.text
