#include "vg-session.h"
