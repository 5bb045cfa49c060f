"""Live video of a window (MAP-1.7.5, 6.9): channels of the hall's recorder, played in the browser
from the recorder (NVR simulator over real HTTP)."""
import pytest
import requests

from apps.acceptance.models import Window
from apps.core.adapters.simulators import SimulatorServer
from apps.servicemap.adapters.video import NvrSimulator
from apps.servicemap.models import VideoChannel

pytestmark = pytest.mark.django_db


@pytest.fixture
def nvr():
    simulator = NvrSimulator(channels=2, frames=3, interval=0.01)
    with SimulatorServer(simulator) as server:
        simulator.url = server.url
        yield simulator


@pytest.mark.spec("MAP-1.7.5", "MAP-6.9")
def test_the_recorder_streams_jpeg_frames_a_browser_can_play(nvr):
    response = requests.get(f"{nvr.url}/channels/1/stream.mjpeg", timeout=5)
    assert response.headers["Content-Type"].startswith("multipart/x-mixed-replace")
    assert response.content.count(b"\xff\xd8") == 3                # three JPEG frames
    nvr.offline = {2}
    assert requests.get(f"{nvr.url}/channels/2/stream.mjpeg", timeout=5).status_code == 503
    assert requests.get(f"{nvr.url}/channels", timeout=5).json()["channels"][1]["online"] is False


@pytest.mark.spec("MAP-1.7.5", "MAP-6.9", "MAP-3.2")
def test_window_page_plays_its_own_channel_and_the_waiting_area(client, halls, window_setup, nvr):
    hall, window = window_setup["hall"], window_setup["window"]
    own = VideoChannel.objects.create(hall=hall, window=window, name="1号窗口摄像机",
                                      stream_url=f"{nvr.url}/channels/1/stream.mjpeg")
    VideoChannel.objects.create(hall=hall, name="一楼等候区", channel_number=2,
                                stream_url=f"{nvr.url}/channels/2/stream.mjpeg")
    other = Window.objects.create(hall=hall, window_number="2", name="其他窗口")
    VideoChannel.objects.create(hall=hall, window=other, name="2号窗口摄像机", channel_number=3,
                                stream_url=f"{nvr.url}/channels/3/stream.mjpeg")
    html = client.get(f"/map/windows/{window.pk}/").content.decode()
    assert f'src="{own.stream_url}"' in html and 'alt="1号窗口摄像机实时画面"' in html
    assert "一楼等候区" in html and "2号窗口摄像机" not in html
    api = client.get(f"/api/v1/servicemap/windows/{window.pk}/").json()["videos"]
    assert [(v["name"], v["is_window"]) for v in api] == [("1号窗口摄像机", True), ("一楼等候区", False)]
    VideoChannel.objects.filter(pk=own.pk).update(is_enabled=False)
    assert "1号窗口摄像机" not in client.get(f"/map/windows/{window.pk}/").content.decode()
