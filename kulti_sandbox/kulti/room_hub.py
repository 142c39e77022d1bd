class RoomHub:
    def __init__(self, sb):
        self.sb = sb

    async def close(self):
        pass
