from ninja import Schema


class RegionChild(Schema):
    code: str
    name: str
    level: str
    tps_count: int
    dpt: int


class RegionOut(Schema):
    code: str
    name: str
    level: str
    tps_count: int
    dpt: int
    dpt_is_demo: bool
    children: list[RegionChild]


class TpsOut(Schema):
    code: str
    election: str
    number: int
    kelurahan: str
    kelurahan_name: str
    dpt: int
    dpt_l: int
    dpt_p: int
    address: str
    lat: float | None
    lon: float | None
    is_demo: bool
