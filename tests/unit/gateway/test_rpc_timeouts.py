import pytest

from interlude.rpc_timeouts import Breaker
from interlude.errors import ServiceUnavailable


def test_the_breaker_opens_after_timeouts_in_a_row_and_closes_on_an_answer():
    now = [100.0]
    breaker = Breaker(clock=lambda: now[0], threshold=3)
    breaker.failed("catalog", 5)
    breaker.failed("catalog", 5)
    breaker.check("catalog")            # one slow call or two are not a dead service
    breaker.failed("catalog", 5)
    with pytest.raises(ServiceUnavailable, match="catalog"):
        breaker.check("catalog")
    breaker.check("search")             # per service
    now[0] += 5.1
    breaker.check("catalog")            # half-open: the next call goes through
    breaker.succeeded("catalog")
    breaker.failed("catalog", 5)
    breaker.check("catalog")            # the count started again

