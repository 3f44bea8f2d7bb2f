#include "vg-stream.h"
