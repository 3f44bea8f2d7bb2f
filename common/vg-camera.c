#include "vg-camera.h"
