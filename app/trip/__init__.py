"""The trip panel: wishes, planning, the plan to rearrange, saving and exporting."""
